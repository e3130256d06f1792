// Nothing but the model request leaves the machine. Neither SDK phones home, but both describe
// the machine in every request (operating system, CPU architecture, Node version, SDK version,
// retry count): these headers are removed (a null default header drops it) for every provider.
export const NO_PLATFORM_HEADERS: Readonly<Record<string, null>> = {
  "X-Stainless-Lang": null,
  "X-Stainless-Package-Version": null,
  "X-Stainless-OS": null,
  "X-Stainless-Arch": null,
  "X-Stainless-Runtime": null,
  "X-Stainless-Runtime-Version": null,
  "X-Stainless-Retry-Count": null,
  "X-Stainless-Timeout": null,
};
