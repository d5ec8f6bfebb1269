CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` integer NOT NULL,
	`state` text NOT NULL,
	`tier` text NOT NULL,
	`lead_event_id` text NOT NULL,
	`opened_at` integer NOT NULL,
	`assignee` text,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`acknowledgement_note` text,
	`resolved_at` integer,
	`resolved_by` text,
	`decision` text,
	`resolution_note` text,
	`acknowledge_due_day` text NOT NULL,
	`acknowledge_due_at` integer NOT NULL,
	`acknowledge_due_provisional` integer NOT NULL,
	`resolve_due_day` text NOT NULL,
	`resolve_due_at` integer NOT NULL,
	`resolve_due_provisional` integer NOT NULL,
	`acknowledge_overdue_at` integer,
	`resolve_overdue_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cases_state_check" CHECK("cases"."state" IN ('open', 'acknowledged', 'resolved')),
	CONSTRAINT "cases_tier_check" CHECK("cases"."tier" IN ('critical', 'high', 'medium', 'low', 'info')),
	CONSTRAINT "cases_decision_check" CHECK(("cases"."state" = 'resolved' AND "cases"."decision" IN ('continue', 'restrict', 'suspend', 'terminate')) OR ("cases"."state" <> 'resolved' AND "cases"."decision" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_unresolved_customer_id_idx` ON `cases` (`customer_id`) WHERE "cases"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX `cases_opened_at_id_idx` ON `cases` (`opened_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_customer_id_opened_at_idx` ON `cases` (`customer_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `cases_acknowledge_due_at_idx` ON `cases` (`acknowledge_due_at`) WHERE "cases"."state" = 'open' AND "cases"."acknowledge_overdue_at" IS NULL;--> statement-breakpoint
CREATE INDEX `cases_resolve_due_at_idx` ON `cases` (`resolve_due_at`) WHERE "cases"."state" <> 'resolved' AND "cases"."resolve_overdue_at" IS NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `case_id` text REFERENCES cases(id);--> statement-breakpoint
CREATE INDEX `events_case_id_idx` ON `events` (`case_id`);--> statement-breakpoint
CREATE INDEX `audit_log_subject_id_idx` ON `audit_log` (`subject`,`id`);