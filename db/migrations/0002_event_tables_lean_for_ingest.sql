ALTER TABLE "interactions" DROP CONSTRAINT IF EXISTS "interactions_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "interactions" DROP CONSTRAINT IF EXISTS "interactions_agent_id_agents_id_fk";
--> statement-breakpoint
ALTER TABLE "interactions" DROP CONSTRAINT IF EXISTS "interactions_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "surveys" DROP CONSTRAINT IF EXISTS "surveys_interaction_id_interactions_id_fk";
--> statement-breakpoint
ALTER TABLE "surveys" DROP CONSTRAINT IF EXISTS "surveys_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "surveys" DROP CONSTRAINT IF EXISTS "surveys_agent_id_agents_id_fk";
--> statement-breakpoint
ALTER TABLE "surveys" DROP CONSTRAINT IF EXISTS "surveys_team_id_teams_id_fk";
--> statement-breakpoint
DROP INDEX IF EXISTS "interactions_agent_occurred_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "interactions_customer_idx";