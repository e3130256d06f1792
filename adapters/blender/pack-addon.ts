// `npm run pack:blender [-- OUT_DIR]`: writes the Blender add-on zip (default: dist/) and says
// how to install it.
import { resolve } from "node:path";
import { packagePath } from "../shared/package-path.js";
import { packBlenderAddon } from "./addon-package.js";

const pack = packBlenderAddon(resolve(process.argv[2] ?? packagePath("dist")));
console.log(
  [
    `Wrote ${pack.zip} (${pack.files.length} files).`,
    "Blender 4.2 and later: Edit › Preferences › Get Extensions › Install from Disk… (menu at the top right), or",
    `  blender --command extension install-file -r user_default --enable ${pack.zip}`,
    "Blender 3.4 to 4.1: Edit › Preferences › Add-ons › Install…, then tick Scriptwright.",
  ].join("\n"),
);
