-- Answered interactions with a linked survey (response rate). Existing rows hold 0 until the
-- rollups are rebuilt, which the next start does: their definitions changed.
ALTER TABLE "rollup_interactions_agent" ADD COLUMN "responded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_interactions_day" ADD COLUMN "responded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_interactions_journey" ADD COLUMN "responded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_interactions_segment" ADD COLUMN "responded" integer DEFAULT 0 NOT NULL;
