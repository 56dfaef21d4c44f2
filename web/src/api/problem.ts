// An answer that is not a success, as the API writes it: a problem document (RFC 9457) with
// field errors for validation, or an OAuth error from the token endpoint.

export interface FieldError {
  campo: string;
  mensagem: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, slug: string, title: string, detail: string, errors: FieldError[] = []) {
    super(detail || title);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }

  // The message of one field ("quantidade", "itens[0].quantidade"), if the server named it.
  fieldError(campo: string): string | undefined {
    return this.errors.find((e) => e.campo === campo)?.mensagem;
  }
}

// The session could not be renewed: the person must sign in again (what was typed is kept).
export class SessionExpired extends Error {
  constructor() {
    super("Sua sessão expirou. Entre de novo para continuar; o que você digitou foi guardado.");
  }
}

export async function problemOf(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    /* not JSON: a proxy's page, an empty body */
  }
  const type = typeof body.type === "string" ? body.type : "";
  const slug = type.includes("/problemas/") ? type.slice(type.lastIndexOf("/") + 1) : String(body.error ?? "");
  const title = String(body.title ?? body.error ?? statusText(res.status));
  const detail = String(body.detail ?? body.error_description ?? "");
  const errors = Array.isArray(body.errors)
    ? (body.errors as FieldError[]).filter((e) => e && typeof e.campo === "string")
    : [];
  return new ApiError(res.status, slug, title, detail, errors);
}

export function networkError(): ApiError {
  return new ApiError(0, "rede", "Sem conexão com o servidor", "Verifique a rede e tente de novo; nada foi perdido.");
}

function statusText(status: number): string {
  switch (status) {
    case 400: return "Requisição inválida";
    case 401: return "Não autenticado";
    case 403: return "Sem permissão";
    case 404: return "Não encontrado";
    case 409: return "Conflito";
    case 412: return "Registro alterado por outra pessoa";
    case 413: return "Conteúdo grande demais";
    case 422: return "Dados inválidos";
    case 429: return "Muitas requisições";
    case 502: case 503: case 504: return "Serviço indisponível";
    default: return `Erro ${status}`;
  }
}
