-- Users are never deleted (deactivated instead) and usernames are never reused.
CREATE TABLE usuarios (
  id                   uuid PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,62}$'),
  nome                 text NOT NULL,
  email                text NOT NULL,
  senha_hash           text NOT NULL,          -- Argon2id, libsodium's encoded string
  papeis               text[] NOT NULL,
  ativo                boolean NOT NULL DEFAULT true,
  falhas_consecutivas  integer NOT NULL DEFAULT 0,
  bloqueado_ate        timestamptz,
  versao               integer NOT NULL DEFAULT 1,
  criado_em            timestamptz NOT NULL DEFAULT now(),
  atualizado_em        timestamptz NOT NULL DEFAULT now()
);

-- RS256 signing keys: the current one signs, the previous one still verifies (JWKS).
CREATE TABLE chaves_assinatura (
  kid                  text PRIMARY KEY,
  jwk_publica          text NOT NULL,
  jwk_privada_cifrada  text NOT NULL,           -- AES-256-GCM with PHARMASYS_AUTH_KEY_ENCRYPTION_KEY, hex
  estado               text NOT NULL CHECK (estado IN ('atual', 'anterior', 'aposentada')),
  criada_em            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX chaves_assinatura_uma_atual ON chaves_assinatura (estado) WHERE estado = 'atual';

-- Refresh tokens, stored as SHA-256 hashes; each use rotates it within its family, and the
-- reuse of a rotated one revokes the whole family.
CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY,
  familia      uuid NOT NULL,
  usuario_id   uuid NOT NULL REFERENCES usuarios (id),
  client_id    text NOT NULL,
  hash         text NOT NULL UNIQUE,
  expira_em    timestamptz NOT NULL,
  usado_em     timestamptz,
  revogado_em  timestamptz,
  criado_em    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_familia ON refresh_tokens (familia);
