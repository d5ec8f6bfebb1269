CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uscc` text NOT NULL,
	`name` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`removed_at` integer,
	`last_checked_at` integer,
	`next_check_at` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`degraded` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_uscc_unique` ON `customers` (`uscc`);--> statement-breakpoint
CREATE INDEX `customers_next_check_at_idx` ON `customers` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "deliveries_status_check" CHECK("deliveries"."status" IN ('pending', 'sent', 'dead'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_id_channel_target_idx` ON `deliveries` (`event_id`,`channel`,`target`);--> statement-breakpoint
CREATE INDEX `deliveries_status_next_attempt_at_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` integer NOT NULL,
	`snapshot_id` integer,
	`type` text NOT NULL,
	`tier` text NOT NULL,
	`baseline` integer NOT NULL,
	`detected_at` integer NOT NULL,
	`source` text NOT NULL,
	`payload` text NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	`acknowledgement_note` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "events_tier_check" CHECK("events"."tier" IN ('critical', 'high', 'medium', 'low', 'info'))
);
--> statement-breakpoint
CREATE INDEX `events_detected_at_idx` ON `events` (`detected_at`);--> statement-breakpoint
CREATE INDEX `events_customer_id_detected_at_idx` ON `events` (`customer_id`,`detected_at`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`taken_at` integer NOT NULL,
	`hash` text NOT NULL,
	`provider` text NOT NULL,
	`provider_version` text NOT NULL,
	`normaliser_version` integer NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `snapshots_customer_id_id_idx` ON `snapshots` (`customer_id`,`id`);