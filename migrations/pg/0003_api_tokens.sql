CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_active_name_idx" ON "api_tokens" USING btree ("name") WHERE "api_tokens"."revoked_at" IS NULL;