// `npm run pack:blender [-- OUT_DIR]`: writes the Blender add-on zip (default: dist/) and says
// how to install it.
import { resolve } from "node:path";
import { packagePath } from "../shared/package-path.js";
import { packBlenderAddon } from "./addon-package.js";
import { blenderAddonInstallHelp } from "./panel.js";

const pack = packBlenderAddon(resolve(process.argv[2] ?? packagePath("dist")));
console.log(
  [`Wrote ${pack.zip} (${pack.files.length} files).`, ...blenderAddonInstallHelp(pack.zip)].join("\n"),
);
