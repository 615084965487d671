-- People who sign in to the API and the console, their sessions, and failed sign-ins.

CREATE TABLE users (
  id             text PRIMARY KEY,
  -- Kept lower-cased by the repository; the index makes uniqueness case-insensitive even for rows
  -- written by hand.
  email          text NOT NULL,
  name           text,
  role           text NOT NULL CHECK (role IN ('viewer', 'operator', 'approver', 'admin')),
  -- bcrypt; NULL never signs in.
  password_hash  text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of this table signs
-- nobody in.
CREATE TABLE sessions (
  id            text PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, counted per email and per client address over a sliding window. In the
-- database rather than in memory so that several API processes share one limit and a restart
-- does not reset it.
CREATE TABLE login_attempts (
  id            bigserial PRIMARY KEY,
  email         text NOT NULL,
  ip            text NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, attempted_at);
