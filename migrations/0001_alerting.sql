CREATE TABLE `digests` (
	`period` text PRIMARY KEY NOT NULL,
	`sent_at` integer NOT NULL,
	`event_count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_targets` (
	`name` text PRIMARY KEY NOT NULL,
	`disabled_at` integer,
	`disabled_reason` text
);
--> statement-breakpoint
ALTER TABLE `events` ADD `escalation_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `last_escalated_at` integer;