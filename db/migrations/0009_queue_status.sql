CREATE TABLE "queue_status" (
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"waiting" integer,
	"longest_wait_seconds" integer,
	"agents_available" integer,
	"agents_busy" integer,
	CONSTRAINT "queue_status_team_id_channel_pk" PRIMARY KEY("team_id","channel"),
	CONSTRAINT "queue_status_channel_check" CHECK (channel in ('', 'phone', 'chat', 'email', 'social', 'in_person', 'other', 'web', 'app', 'sms', 'messaging', 'video', 'self_service')),
	CONSTRAINT "queue_status_waiting_check" CHECK (waiting is null or waiting >= 0),
	CONSTRAINT "queue_status_longest_wait_check" CHECK (longest_wait_seconds is null or longest_wait_seconds >= 0),
	CONSTRAINT "queue_status_agents_available_check" CHECK (agents_available is null or agents_available >= 0),
	CONSTRAINT "queue_status_agents_busy_check" CHECK (agents_busy is null or agents_busy >= 0)
);
--> statement-breakpoint
CREATE TABLE "rollup_queue_minute" (
	"minute" timestamp with time zone NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"samples" integer DEFAULT 0 NOT NULL,
	"waiting_n" integer DEFAULT 0 NOT NULL,
	"waiting_sum" bigint DEFAULT 0 NOT NULL,
	"waiting_max" integer,
	"longest_wait_n" integer DEFAULT 0 NOT NULL,
	"longest_wait_sum" bigint DEFAULT 0 NOT NULL,
	"longest_wait_max" integer,
	"agents_available_n" integer DEFAULT 0 NOT NULL,
	"agents_available_sum" bigint DEFAULT 0 NOT NULL,
	"agents_available_max" integer,
	"agents_busy_n" integer DEFAULT 0 NOT NULL,
	"agents_busy_sum" bigint DEFAULT 0 NOT NULL,
	"agents_busy_max" integer,
	CONSTRAINT "rollup_queue_minute_minute_team_id_channel_pk" PRIMARY KEY("minute","team_id","channel")
);
--> statement-breakpoint
ALTER TABLE "queue_status" ADD CONSTRAINT "queue_status_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;