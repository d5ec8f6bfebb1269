CREATE TABLE "grade_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"at" bigint NOT NULL,
	"grade" text NOT NULL,
	"previous_grade" text NOT NULL,
	"rule" text
);
--> statement-breakpoint
CREATE TABLE "trading_figures" (
	"customer_id" integer NOT NULL,
	"as_of" text NOT NULL,
	"on_time_payment_rate" double precision NOT NULL,
	"fulfilment_rate" double precision NOT NULL,
	"overdue_amount" double precision,
	"credit_limit" double precision,
	"imported_at" bigint NOT NULL,
	CONSTRAINT "trading_figures_customer_id_as_of_pk" PRIMARY KEY("customer_id","as_of")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "grade" text DEFAULT 'unrated' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "grade_rule" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "graded_at" bigint;--> statement-breakpoint
ALTER TABLE "grade_history" ADD CONSTRAINT "grade_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trading_figures" ADD CONSTRAINT "trading_figures_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grade_history_customer_id_id_idx" ON "grade_history" USING btree ("customer_id","id");--> statement-breakpoint
CREATE INDEX "customers_grade_idx" ON "customers" USING btree ("grade");