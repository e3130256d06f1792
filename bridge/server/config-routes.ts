// /api/config: the model settings sessions use (GET, the key only as a hint) and changing
// them in config.json (PUT or POST {provider?, baseUrl?, apiKey?, model?, …}; null removes one), the same
// code `scriptwright config set` runs. The body's schema comes from the settings' own rules.
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { ConfigError } from "../config/config-file.js";
import type { ConfigChanges, ConfigStore } from "../config/config-store.js";
import { SETTINGS, type SettingRule, type SettingSpec, type SettingValue } from "../config/settings.js";
import type { Logger } from "../logger.js";
import { firstIssueText } from "../zod-issue.js";

function schemaFor(rule: SettingRule): z.ZodType<SettingValue> {
  if (rule.kind === "integer") return z.number().int().min(rule.min).max(rule.max);
  if (rule.kind === "boolean") return z.boolean();
  if (rule.kind === "choice") return z.enum(rule.choices as [string, ...string[]]);
  return z
    .string()
    .trim()
    .min(rule.min)
    .max(rule.max)
    .regex(rule.pattern, { message: `must be ${rule.patternText}` });
}

const ConfigBody = z.strictObject(
  Object.fromEntries(
    (SETTINGS as readonly SettingSpec[]).map((spec) => [
      spec.field,
      schemaFor(spec.rule).nullable().optional(),
    ]),
  ),
);

export function configRoutes(config: ConfigStore, logger: Logger): Router {
  const router = Router();

  router.get("/", (_req, res) => {
    res.json(config.view());
  });

  const change = (req: Request, res: Response) => {
    const parsed = ConfigBody.safeParse(req.body);
    if (!parsed.success) throw new ConfigError(firstIssueText(parsed.error, "body"), 400);
    const changes = parsed.data as ConfigChanges;
    const view = config.update(changes);
    // Which settings changed, never their values.
    logger.info({ changed: Object.keys(changes) }, "config changed");
    res.json(view);
  };
  router.put("/", change);
  router.post("/", change);

  return router;
}
