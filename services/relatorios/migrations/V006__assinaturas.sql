-- The signature log (GET /v1/relatorios/assinaturas): every signed record of every service's
-- trail, found by when it happened.
CREATE INDEX auditoria_consolidada_assinadas ON auditoria_consolidada (ocorrido_em)
  WHERE jsonb_typeof(registro -> 'assinatura') = 'object';
