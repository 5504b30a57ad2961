/**
 * Keeps the screen on without the Wake Lock API: browsers hold the screen awake while a video plays
 * on a visible page. The video is made here, a tiny canvas streamed into a muted inline <video>, so
 * there is no media file to download. A stream rather than a file because of the rules browsers
 * apply to silent video: Chromium holds the screen for one only if it covers a fifth of the
 * viewport, unless it plays a MediaStream (exempt, like a small camera self-view), and Firefox only
 * for a stream. Chromium also wants three quarters of the element inside the viewport, so it sits
 * fully on screen in a corner, two pixels and near-transparent.
 * Safari holds the screen for no muted video at all: an iPad kiosk relies on Guided Access with
 * Auto-Lock set to Never (README, Setting up a counter).
 *
 * Returns the cleanup: the video and its stream are stopped and removed.
 */
export function keepAwakeWithVideo(): () => void {
  const canvas = document.createElement("canvas");
  canvas.width = 2;
  canvas.height = 2;
  const context = canvas.getContext("2d");
  if (!context || typeof canvas.captureStream !== "function") return () => undefined;
  const stream = canvas.captureStream();

  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.setAttribute("aria-hidden", "true");
  video.dataset.testid = "keep-awake-video";
  Object.assign(video.style, {
    position: "fixed",
    right: "0",
    bottom: "0",
    width: "2px",
    height: "2px",
    opacity: "0.01",
    pointerEvents: "none",
  });
  video.srcObject = stream;
  document.body.append(video);

  // A canvas stream carries a frame only when the canvas changes: a repaint now and then keeps it live.
  let dark = false;
  const paint = () => {
    dark = !dark;
    context.fillStyle = dark ? "#000000" : "#010101";
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  paint();
  const painter = setInterval(paint, 5_000);

  // Played again after the page was hidden (a browser may pause it there) and on the first touch or
  // key, for a browser that lets no video play before the person has done something.
  const play = () => {
    if (video.paused && document.visibilityState === "visible") void video.play().catch(() => undefined);
  };
  play();
  const triggers = ["visibilitychange", "pointerdown", "keydown"] as const;
  for (const trigger of triggers) document.addEventListener(trigger, play);

  return () => {
    clearInterval(painter);
    for (const trigger of triggers) document.removeEventListener(trigger, play);
    video.pause();
    video.srcObject = null;
    for (const track of stream.getTracks()) track.stop();
    video.remove();
  };
}
