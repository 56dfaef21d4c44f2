// The code box of a lot: typed, or a label read by a scanner (which ends with Enter); opens
// the lot's traceability (or another screen of it).
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { lotCodeFromScan } from "../../lib/scan";
import { Button } from "../../ui/components";
import { TextField } from "../../ui/fields";
import { tracePath } from "./paths";

export function LotCodeForm({ label = "Código do lote", action = "Rastrear", to = tracePath }: {
  label?: string;
  action?: string;
  to?: (codigo: string) => string;
}) {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const codigo = lotCodeFromScan(text);
    if (!codigo) {
      setError("Informe o código de um lote (por exemplo R261129-00001) ou leia a etiqueta.");
      return;
    }
    setError(undefined);
    navigate(to(codigo));
  };
  return (
    <form onSubmit={submit} className="search-card" role="search" aria-label="Rastrear lote">
      <TextField label={label} name="lote" value={text} onChange={setText} error={error} autoComplete="off" type="search" />
      <Button type="submit" kind="primary">
        {action}
      </Button>
    </form>
  );
}
