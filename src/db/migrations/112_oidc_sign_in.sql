-- Single sign-on through an OpenID Connect issuer: the identity an account is linked to, and the
-- sign-ins on their way through the issuer.

-- An account signs in through the issuer as (issuer, subject) once linked; the email can change
-- at the issuer, the subject cannot.
ALTER TABLE users ADD COLUMN oidc_issuer text;
ALTER TABLE users ADD COLUMN oidc_subject text;
ALTER TABLE users ADD CONSTRAINT users_oidc_identity_whole CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL));
CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;

-- One row per sign-in sent to the issuer and not yet back. The browser holds a random token in a
-- short-lived cookie and only its SHA-256 is stored; the callback deletes the row as it reads it,
-- so a callback can be used once, and only in the browser that started it.
CREATE TABLE oidc_logins (
  id             text PRIMARY KEY,
  state          text NOT NULL,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
