CREATE TABLE `grade_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`at` integer NOT NULL,
	`grade` text NOT NULL,
	`previous_grade` text NOT NULL,
	`rule` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grade_history_customer_id_id_idx` ON `grade_history` (`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `trading_figures` (
	`customer_id` integer NOT NULL,
	`as_of` text NOT NULL,
	`on_time_payment_rate` real NOT NULL,
	`fulfilment_rate` real NOT NULL,
	`overdue_amount` real,
	`credit_limit` real,
	`imported_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `as_of`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `grade` text DEFAULT 'unrated' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `grade_rule` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `graded_at` integer;--> statement-breakpoint
CREATE INDEX `customers_grade_idx` ON `customers` (`grade`);