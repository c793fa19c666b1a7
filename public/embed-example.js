// Fit the Uplift ROI iframe to the height its page reports.
const frame = document.getElementById('uplift-roi');
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow) return;
  const data = event.data;
  if (data && data.type === 'uplift-roi:height' && Number.isFinite(data.height)) {
    frame.style.height = `${Math.ceil(data.height) + 2}px`;
  }
});
