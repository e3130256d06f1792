// The "Undo" button on the last script card whose run kept a checkpoint: it takes that run back
// (POST /api/hosts/:id/undo naming the checkpoint, so that a later run is never taken back in its
// place) and says what was restored. A run that timed out or lost its host is not rolled back
// silently: the bridge answers that its effect is unknown, and only then is "Undo anyway" offered.

/** Only the newest offer stands: an earlier card's button goes when a later run keeps a checkpoint. */
let offered = null;

/** Codes the bridge lets a person overrule (`force`), with the button that does it. */
const FORCEABLE = new Set(["state-unknown", "no-checkpoint", "undo-refused"]);

/** Adds the Undo button to `card` (its `root`) for a RunResponse that kept a checkpoint. */
export function offerUndo(api, card, result) {
  if (!result.checkpoint || !result.hostId) return;
  offered?.remove();
  const row = document.createElement("div");
  row.className = "card-actions undo-actions";
  const status = document.createElement("p");
  status.className = "card-status undo-status";
  const unknown = result.outcome === "timeout" || result.outcome === "host-lost";
  if (unknown) {
    status.textContent =
      "What this run did to the document is unknown: it is not rolled back on its own. Undo puts back the state before it.";
  }
  const undo = (force) => async () => {
    for (const b of row.querySelectorAll("button")) b.disabled = true;
    try {
      const answer = await api.post(`/api/hosts/${encodeURIComponent(result.hostId)}/undo`, {
        checkpoint: result.checkpoint.id,
        ...(force ? { force: true } : {}),
      });
      status.textContent = answer.message;
      status.className = "card-status undo-status approved";
      row.replaceChildren(status);
      card.root.classList.add("undone");
      if (offered === entry) offered = null;
    } catch (error) {
      status.textContent = `Not undone: ${error.message}`;
      status.className = "card-status undo-status failed";
      for (const b of row.querySelectorAll("button")) b.disabled = false;
      if (!force && FORCEABLE.has(error.code) && !row.querySelector(".undo-force")) {
        const anyway = makeButton("Undo anyway", "danger undo-force", undo(true));
        status.before(anyway);
      }
    }
  };
  row.append(makeButton("Undo", "ghost", undo(false)), status);
  card.root.append(row);
  const entry = { remove: () => row.querySelector("button") && row.remove() };
  offered = entry;
}

/** Forgets the offer (a new conversation). */
export function clearUndo() {
  offered = null;
}

function makeButton(label, className, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}
