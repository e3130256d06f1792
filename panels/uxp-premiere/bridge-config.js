// The port of the bridge this plugin reaches (UXP allows only the addresses in manifest.json).
// scriptwright panel install|pack writes it together with the manifest's network domains.
"use strict";
module.exports = { port: 7821 };
