// /api/pairings: the panels paired with this bridge (never their secrets), revoking one or all
// (which closes their connections), and a short code for pairing a panel by hand.
import { Router } from "express";
import type { Logger } from "../logger.js";
import type { PairingCodes } from "../pairing/pairing-codes.js";
import type { PairingStore } from "../pairing/pairing-store.js";

export function pairingRoutes(store: PairingStore, codes: PairingCodes, logger: Logger): Router {
  const router = Router();

  router.get("/", (_req, res) => {
    res.json(store.list());
  });

  // A code is a credential until used: it goes to the person who asked, never to the log.
  router.post("/code", (_req, res) => {
    store.assertUsable();
    const issued = codes.issue();
    logger.info({ expiresAt: issued.expiresAt }, "pairing code issued");
    res.json(issued);
  });

  router.delete("/", (_req, res) => {
    const result = store.revoke();
    logger.info(result, "pairings revoked");
    res.json(result);
  });

  router.delete("/:id", (req, res) => {
    const result = store.revoke([req.params.id]);
    logger.info(result, "pairing revoked");
    res.json(result);
  });

  return router;
}
