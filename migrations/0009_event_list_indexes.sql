DROP INDEX `events_detected_at_idx`;--> statement-breakpoint
CREATE INDEX `events_detected_at_id_idx` ON `events` (`detected_at`,`id`,`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `events_tier_detected_at_id_idx` ON `events` (`tier`,`detected_at`,`id`,`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `events_unacknowledged_detected_at_id_idx` ON `events` (`detected_at`,`id`,`acknowledged_at`) WHERE "events"."acknowledged_at" IS NULL;--> statement-breakpoint
CREATE INDEX `events_unacknowledged_tier_detected_at_id_idx` ON `events` (`tier`,`detected_at`,`id`,`acknowledged_at`) WHERE "events"."acknowledged_at" IS NULL;--> statement-breakpoint
CREATE INDEX `events_unacknowledged_tier_customer_id_idx` ON `events` (`tier`,`customer_id`,`acknowledged_at`) WHERE "events"."acknowledged_at" IS NULL;