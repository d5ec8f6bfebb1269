CREATE TABLE `rescan_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requested_at` integer NOT NULL,
	`requested_by` text NOT NULL,
	`kind` text NOT NULL,
	`uscc` text,
	`tag` text,
	`force` integer DEFAULT false NOT NULL,
	CONSTRAINT "rescan_requests_kind_check" CHECK(("rescan_requests"."kind" = 'uscc' AND "rescan_requests"."uscc" IS NOT NULL) OR ("rescan_requests"."kind" = 'tag' AND "rescan_requests"."tag" IS NOT NULL) OR "rescan_requests"."kind" = 'all')
);
