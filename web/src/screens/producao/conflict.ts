// An act refused because the order moved under it (a desvio opened, a step recorded in another
// tab, a status changed: 409 or 412) reads the order again, so the screen shows what is true now.
import { useEffect } from "react";
import { ApiError } from "../../api/problem";

export function useReloadOnConflict(error: unknown, reload: () => void) {
  useEffect(() => {
    if (error instanceof ApiError && (error.status === 409 || error.status === 412)) reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);
}
