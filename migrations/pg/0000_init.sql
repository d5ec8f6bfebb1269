CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" serial PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"removed_at" bigint,
	"last_checked_at" bigint,
	"next_check_at" bigint,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"degraded" boolean DEFAULT false NOT NULL,
	"queued_at" bigint,
	CONSTRAINT "customers_uscc_unique" UNIQUE("uscc")
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint,
	"last_error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"sent_at" bigint,
	CONSTRAINT "deliveries_status_check" CHECK ("deliveries"."status" IN ('pending', 'sent', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "delivery_targets" (
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"last_attempt_at" bigint NOT NULL,
	"last_sent_at" bigint,
	"failing_since" bigint,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "delivery_targets_channel_target_pk" PRIMARY KEY("channel","target")
);
--> statement-breakpoint
CREATE TABLE "digests" (
	"period" text PRIMARY KEY NOT NULL,
	"sent_at" bigint NOT NULL,
	"event_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"snapshot_id" integer,
	"type" text NOT NULL,
	"tier" text NOT NULL,
	"baseline" boolean NOT NULL,
	"detected_at" bigint NOT NULL,
	"source" text NOT NULL,
	"payload" jsonb NOT NULL,
	"acknowledged_by" text,
	"acknowledged_at" bigint,
	"acknowledgement_note" text,
	"escalation_count" integer DEFAULT 0 NOT NULL,
	"last_escalated_at" bigint,
	CONSTRAINT "events_tier_check" CHECK ("events"."tier" IN ('critical', 'high', 'medium', 'low', 'info'))
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rescan_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"requested_at" bigint NOT NULL,
	"requested_by" text NOT NULL,
	"kind" text NOT NULL,
	"uscc" text,
	"tag" text,
	"force" boolean DEFAULT false NOT NULL,
	CONSTRAINT "rescan_requests_kind_check" CHECK (("rescan_requests"."kind" = 'uscc' AND "rescan_requests"."uscc" IS NOT NULL) OR ("rescan_requests"."kind" = 'tag' AND "rescan_requests"."tag" IS NOT NULL) OR "rescan_requests"."kind" = 'all')
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"taken_at" bigint NOT NULL,
	"hash" text NOT NULL,
	"provider" text NOT NULL,
	"provider_version" text NOT NULL,
	"normaliser_version" integer NOT NULL,
	"section_methods" jsonb,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_targets" (
	"name" text PRIMARY KEY NOT NULL,
	"disabled_at" bigint,
	"disabled_reason" text
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_next_check_at_idx" ON "customers" USING btree ("next_check_at");--> statement-breakpoint
CREATE INDEX "customers_tags_idx" ON "customers" USING gin ("tags");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_event_id_channel_target_idx" ON "deliveries" USING btree ("event_id","channel","target");--> statement-breakpoint
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "deliveries_pending_next_attempt_at_idx" ON "deliveries" USING btree ("next_attempt_at") WHERE "deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "events_detected_at_idx" ON "events" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "events_customer_id_detected_at_idx" ON "events" USING btree ("customer_id","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_seq_idx" ON "events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "snapshots_customer_id_id_idx" ON "snapshots" USING btree ("customer_id","id");