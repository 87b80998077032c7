CREATE TABLE "agents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"team_id" bigint NOT NULL,
	"hired_on" date,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_reasons" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"segment" text,
	"started_on" date,
	"churned_on" date,
	"monthly_value" numeric(14, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text DEFAULT 'phone' NOT NULL,
	"agent_id" bigint,
	"customer_id" bigint,
	"journey_stage_id" bigint,
	"contact_reason_id" bigint,
	"answered" boolean DEFAULT true NOT NULL,
	"wait_seconds" integer,
	"handle_seconds" integer,
	"resolved" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_channel_check" CHECK (channel in ('phone', 'chat', 'email', 'social', 'in_person', 'other')),
	CONSTRAINT "interactions_wait_seconds_check" CHECK (wait_seconds >= 0),
	CONSTRAINT "interactions_handle_seconds_check" CHECK (handle_seconds >= 0)
);
--> statement-breakpoint
CREATE TABLE "journey_stages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"referred_at" timestamp with time zone NOT NULL,
	"customer_id" bigint NOT NULL,
	"converted" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"responded_at" timestamp with time zone NOT NULL,
	"interaction_id" bigint,
	"customer_id" bigint,
	"agent_id" bigint,
	"team_id" bigint,
	"csat" smallint,
	"nps" smallint,
	"effort" smallint,
	"comment" text,
	"may_quote" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_csat_check" CHECK (csat between 1 and 5),
	CONSTRAINT "surveys_nps_check" CHECK (nps between 0 and 10),
	CONSTRAINT "surveys_effort_check" CHECK (effort between 1 and 7)
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'support' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_kind_check" CHECK (kind in ('support', 'sales', 'success', 'product', 'digital', 'facilities', 'other'))
);
--> statement-breakpoint
CREATE TABLE "access_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"role" text NOT NULL,
	"teams" text[] DEFAULT '{}'::text[] NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"from_env" boolean DEFAULT false NOT NULL,
	CONSTRAINT "access_tokens_role_check" CHECK (role in ('admin', 'leader', 'manager', 'display'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_token_id" bigint,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"actor" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"token_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "annotations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"on" date NOT NULL,
	"title" text NOT NULL,
	"note" text,
	"team_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coaching_notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"agent_id" bigint NOT NULL,
	"held_on" date NOT NULL,
	"pair" text NOT NULL,
	"note" text NOT NULL,
	"author_token_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"metric" text NOT NULL,
	"team_id" bigint,
	"target" double precision NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_range_check" CHECK (valid_to is null or valid_to >= valid_from)
);
--> statement-breakpoint
CREATE TABLE "quote_praise_teams" (
	"quote_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	"shared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quote_praise_teams_quote_id_team_id_pk" PRIMARY KEY("quote_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"redacted_text" text NOT NULL,
	"hidden_spans" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_praise" boolean DEFAULT false NOT NULL,
	"credited_agent_id" bigint,
	"pinned_from" date,
	"pinned_to" date,
	"followed_up_on" date,
	"curated_by" bigint,
	"curated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotes_status_check" CHECK (status in ('new', 'approved', 'rejected', 'retired')),
	CONSTRAINT "quotes_pinned_range_check" CHECK (pinned_to is null or pinned_from is null or pinned_to >= pinned_from)
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_agents_day" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"hires" integer DEFAULT 0 NOT NULL,
	"leavers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_agents_day_day_team_id_pk" PRIMARY KEY("day","team_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_customers_day" (
	"day" date PRIMARY KEY NOT NULL,
	"starts" integer DEFAULT 0 NOT NULL,
	"churns" integer DEFAULT 0 NOT NULL,
	"starts_valued" integer DEFAULT 0 NOT NULL,
	"starts_value" numeric(18, 2) DEFAULT 0 NOT NULL,
	"churns_valued" integer DEFAULT 0 NOT NULL,
	"churns_value" numeric(18, 2) DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_interactions_agent" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"agent_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"wait_n" integer DEFAULT 0 NOT NULL,
	"wait_sum" bigint DEFAULT 0 NOT NULL,
	"wait_sq" double precision DEFAULT 0 NOT NULL,
	"handle_n" integer DEFAULT 0 NOT NULL,
	"handle_sum" bigint DEFAULT 0 NOT NULL,
	"handle_sq" double precision DEFAULT 0 NOT NULL,
	"resolved_n" integer DEFAULT 0 NOT NULL,
	"resolved_yes" integer DEFAULT 0 NOT NULL,
	"wait_hist_bucket" smallint[] NOT NULL,
	"wait_hist_count" integer[] NOT NULL,
	CONSTRAINT "rollup_interactions_agent_day_team_id_agent_id_channel_pk" PRIMARY KEY("day","team_id","agent_id","channel")
);
--> statement-breakpoint
CREATE TABLE "rollup_interactions_day" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"wait_n" integer DEFAULT 0 NOT NULL,
	"wait_sum" bigint DEFAULT 0 NOT NULL,
	"wait_sq" double precision DEFAULT 0 NOT NULL,
	"handle_n" integer DEFAULT 0 NOT NULL,
	"handle_sum" bigint DEFAULT 0 NOT NULL,
	"handle_sq" double precision DEFAULT 0 NOT NULL,
	"resolved_n" integer DEFAULT 0 NOT NULL,
	"resolved_yes" integer DEFAULT 0 NOT NULL,
	"wait_hist_bucket" smallint[] NOT NULL,
	"wait_hist_count" integer[] NOT NULL,
	CONSTRAINT "rollup_interactions_day_day_team_id_channel_pk" PRIMARY KEY("day","team_id","channel")
);
--> statement-breakpoint
CREATE TABLE "rollup_interactions_journey" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"journey_stage_id" bigint NOT NULL,
	"contact_reason_id" bigint NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"wait_n" integer DEFAULT 0 NOT NULL,
	"wait_sum" bigint DEFAULT 0 NOT NULL,
	"wait_sq" double precision DEFAULT 0 NOT NULL,
	"handle_n" integer DEFAULT 0 NOT NULL,
	"handle_sum" bigint DEFAULT 0 NOT NULL,
	"handle_sq" double precision DEFAULT 0 NOT NULL,
	"resolved_n" integer DEFAULT 0 NOT NULL,
	"resolved_yes" integer DEFAULT 0 NOT NULL,
	"wait_hist_bucket" smallint[] NOT NULL,
	"wait_hist_count" integer[] NOT NULL,
	CONSTRAINT "rollup_interactions_journey_day_team_id_channel_journey_stage_id_contact_reason_id_pk" PRIMARY KEY("day","team_id","channel","journey_stage_id","contact_reason_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_referrals_day" (
	"day" date PRIMARY KEY NOT NULL,
	"referrals" integer DEFAULT 0 NOT NULL,
	"converted" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_surveys_agent" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"agent_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"wait_bucket" smallint NOT NULL,
	"surveys" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"csat_n" integer DEFAULT 0 NOT NULL,
	"csat_top2" integer DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_sq" double precision DEFAULT 0 NOT NULL,
	"nps_n" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"effort_n" integer DEFAULT 0 NOT NULL,
	"effort_sum" bigint DEFAULT 0 NOT NULL,
	"effort_sq" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_surveys_agent_day_team_id_agent_id_channel_wait_bucket_pk" PRIMARY KEY("day","team_id","agent_id","channel","wait_bucket")
);
--> statement-breakpoint
CREATE TABLE "rollup_surveys_day" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"wait_bucket" smallint NOT NULL,
	"surveys" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"csat_n" integer DEFAULT 0 NOT NULL,
	"csat_top2" integer DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_sq" double precision DEFAULT 0 NOT NULL,
	"nps_n" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"effort_n" integer DEFAULT 0 NOT NULL,
	"effort_sum" bigint DEFAULT 0 NOT NULL,
	"effort_sq" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_surveys_day_day_team_id_channel_wait_bucket_pk" PRIMARY KEY("day","team_id","channel","wait_bucket")
);
--> statement-breakpoint
CREATE TABLE "rollup_surveys_journey" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"journey_stage_id" bigint NOT NULL,
	"contact_reason_id" bigint NOT NULL,
	"wait_bucket" smallint NOT NULL,
	"surveys" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"csat_n" integer DEFAULT 0 NOT NULL,
	"csat_top2" integer DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_sq" double precision DEFAULT 0 NOT NULL,
	"nps_n" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"effort_n" integer DEFAULT 0 NOT NULL,
	"effort_sum" bigint DEFAULT 0 NOT NULL,
	"effort_sq" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_surveys_journey_day_team_id_channel_journey_stage_id_contact_reason_id_wait_bucket_pk" PRIMARY KEY("day","team_id","channel","journey_stage_id","contact_reason_id","wait_bucket")
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_interaction_id_interactions_id_fk" FOREIGN KEY ("interaction_id") REFERENCES "public"."interactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_token_id_access_tokens_id_fk" FOREIGN KEY ("actor_token_id") REFERENCES "public"."access_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_token_id_access_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."access_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_notes" ADD CONSTRAINT "coaching_notes_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_notes" ADD CONSTRAINT "coaching_notes_author_token_id_access_tokens_id_fk" FOREIGN KEY ("author_token_id") REFERENCES "public"."access_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_praise_teams" ADD CONSTRAINT "quote_praise_teams_quote_id_quotes_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."quotes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_praise_teams" ADD CONSTRAINT "quote_praise_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_credited_agent_id_agents_id_fk" FOREIGN KEY ("credited_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_curated_by_access_tokens_id_fk" FOREIGN KEY ("curated_by") REFERENCES "public"."access_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_external_id_key" ON "agents" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "agents_team_idx" ON "agents" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "agents_left_on_idx" ON "agents" USING btree ("left_on");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_reasons_key_key" ON "contact_reasons" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "customers_started_on_idx" ON "customers" USING btree ("started_on");--> statement-breakpoint
CREATE INDEX "customers_churned_on_idx" ON "customers" USING btree ("churned_on");--> statement-breakpoint
CREATE UNIQUE INDEX "interactions_external_id_key" ON "interactions" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "interactions_occurred_at_idx" ON "interactions" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_agent_occurred_at_idx" ON "interactions" USING btree ("agent_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_customer_idx" ON "interactions" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "journey_stages_key_key" ON "journey_stages" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_external_id_key" ON "referrals" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "referrals_referred_at_idx" ON "referrals" USING btree ("referred_at");--> statement-breakpoint
CREATE INDEX "referrals_customer_idx" ON "referrals" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_external_id_key" ON "surveys" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "surveys_responded_at_idx" ON "surveys" USING btree ("responded_at");--> statement-breakpoint
CREATE INDEX "surveys_agent_responded_at_idx" ON "surveys" USING btree ("agent_id","responded_at");--> statement-breakpoint
CREATE INDEX "surveys_interaction_idx" ON "surveys" USING btree ("interaction_id");--> statement-breakpoint
CREATE INDEX "surveys_customer_idx" ON "surveys" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_external_id_key" ON "teams" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "access_tokens_hash_key" ON "access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "import_runs_started_idx" ON "import_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "sessions_token_idx" ON "sessions" USING btree ("token_id");--> statement-breakpoint
CREATE INDEX "annotations_on_idx" ON "annotations" USING btree ("on");--> statement-breakpoint
CREATE INDEX "coaching_notes_agent_idx" ON "coaching_notes" USING btree ("agent_id","held_on");--> statement-breakpoint
CREATE INDEX "goals_metric_idx" ON "goals" USING btree ("metric","valid_from");--> statement-breakpoint
CREATE INDEX "quote_praise_teams_team_idx" ON "quote_praise_teams" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_survey_key" ON "quotes" USING btree ("survey_id");--> statement-breakpoint
CREATE INDEX "quotes_status_idx" ON "quotes" USING btree ("status");--> statement-breakpoint
CREATE INDEX "quotes_pinned_idx" ON "quotes" USING btree ("pinned_from","pinned_to");