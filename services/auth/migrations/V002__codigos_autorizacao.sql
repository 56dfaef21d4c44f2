-- One-time authorization codes of the Authorization Code flow with PKCE (RFC 6749 §4.1,
-- RFC 7636), stored only as SHA-256 hashes and bound to the client, its redirect URI, the
-- PKCE challenge and the user. A used code keeps the refresh-token family issued from it, so
-- that a second use can revoke that family (RFC 6749 §4.1.2); it is kept while the family may
-- still have a live token, and an unused one until it expires (both pruned as codes are issued).
CREATE TABLE codigos_autorizacao (
  id              uuid PRIMARY KEY,
  hash            text NOT NULL UNIQUE,
  usuario_id      uuid NOT NULL REFERENCES usuarios (id),
  client_id       text NOT NULL,
  redirect_uri    text NOT NULL,
  code_challenge  text NOT NULL CHECK (code_challenge ~ '^[A-Za-z0-9_-]{43}$'),
  expira_em       timestamptz NOT NULL,
  usado_em        timestamptz,
  familia         uuid,
  criado_em       timestamptz NOT NULL DEFAULT now(),
  CHECK ((usado_em IS NULL) = (familia IS NULL))
);
CREATE INDEX codigos_autorizacao_expira_em ON codigos_autorizacao (expira_em);
