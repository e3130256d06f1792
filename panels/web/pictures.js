// Pictures of the app in the chat panel: under the script card whose run took them (or on their
// own for the agent's capture and the "Show me" button), each opening full size on click. They
// arrive as base64 in JSON (the bridge's capture answer, or a session's stored picture fetched
// with the page's token) and are shown as data: URLs, the only images the page's CSP allows.

/** A figure for one picture; clicking it opens it full size. */
export function pictureFigure(src, info) {
  const figure = document.createElement("figure");
  figure.className = "picture";
  const open = document.createElement("button");
  open.type = "button";
  open.className = "picture-open";
  open.title = "Show full size";
  const img = document.createElement("img");
  img.src = src;
  img.alt = `Picture of the app: ${info.label}`;
  img.width = info.width;
  img.height = info.height;
  open.append(img);
  open.addEventListener("click", () => enlarge(src, info));
  const caption = document.createElement("figcaption");
  caption.textContent = describe(info);
  figure.append(open, caption);
  return figure;
}

/** "front, side — 1024×646 · 41.2 KB · ≈883 image tokens" */
export function describe(info) {
  const size =
    info.bytes < 1024 * 1024
      ? `${(info.bytes / 1024).toFixed(1)} KB`
      : `${(info.bytes / 1048576).toFixed(2)} MB`;
  return `${info.label} — ${info.width}×${info.height} · ${size} · ≈${info.tokens} image tokens`;
}

export function dataUrl(mediaType, base64) {
  return `data:${mediaType};base64,${base64}`;
}

/**
 * The pictures of a `pictures` event or transcript record, each fetched from the session
 * (GET /api/sessions/:id/pictures/:file) and added to `container` in order.
 */
export async function sessionPictures(api, sessionId, record, container) {
  const group = document.createElement("div");
  group.className = "pictures";
  container.append(group);
  for (const picture of record.pictures ?? []) {
    const slot = document.createElement("p");
    slot.className = "muted picture-loading";
    slot.textContent = `Loading the picture (${picture.label})…`;
    group.append(slot);
    try {
      const stored = await api.get(
        `/api/sessions/${encodeURIComponent(sessionId)}/pictures/${encodeURIComponent(picture.file)}`,
      );
      slot.replaceWith(pictureFigure(dataUrl(stored.mediaType, stored.data), picture));
    } catch (error) {
      slot.textContent = `The picture could not be loaded: ${error.message}`;
    }
  }
  for (const note of record.notes ?? []) group.append(noteLine(note));
  return group;
}

/** The pictures of a capture answer (POST /api/capture), as one group. */
export function capturePictures(answer) {
  const group = document.createElement("div");
  group.className = "pictures";
  for (const image of answer.images) group.append(pictureFigure(dataUrl(image.mediaType, image.data), image));
  for (const note of answer.notes ?? []) group.append(noteLine(note));
  return group;
}

function noteLine(text) {
  const line = document.createElement("p");
  line.className = "muted picture-note";
  line.textContent = text;
  return line;
}

let viewer = null;

/** The picture at full size over the page; a click or Escape closes it. */
function enlarge(src, info) {
  if (!viewer) {
    viewer = document.createElement("dialog");
    viewer.className = "picture-viewer";
    viewer.addEventListener("click", () => viewer.close());
    document.body.append(viewer);
  }
  const img = document.createElement("img");
  img.src = src;
  img.alt = `Picture of the app: ${info.label}`;
  const caption = document.createElement("p");
  caption.textContent = describe(info);
  viewer.replaceChildren(img, caption);
  viewer.showModal();
}
