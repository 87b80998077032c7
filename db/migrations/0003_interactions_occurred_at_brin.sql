DROP INDEX IF EXISTS "interactions_occurred_at_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "interactions_occurred_at_brin" ON "interactions" USING brin ("occurred_at");
