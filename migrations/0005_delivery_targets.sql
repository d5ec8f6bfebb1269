CREATE TABLE `delivery_targets` (
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`last_attempt_at` integer NOT NULL,
	`last_sent_at` integer,
	`failing_since` integer,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	PRIMARY KEY(`channel`, `target`)
);
