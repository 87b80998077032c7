// Chart colours: blue for operational, amber for experiential (the app's pairing colours, darkened
// to at least 3:1 on white), neutral greys for structure. Blue and amber stay apart for every
// common colour-vision deficiency, and every series also differs by marker shape or dash.
export const palette = {
  op: '#2f6aa8',
  opLight: '#8fb8e8',
  ex: '#b57900',
  exBand: 'rgba(242, 193, 78, 0.34)',
  exBar: '#e3a92b',
  baseline: '#9aa7b6',
  whisker: '#1b2430',
  ink: '#1b2430',
  muted: '#5a6675',
  grid: '#e6e9ee',
  axis: '#cfd6df',
  annotation: '#6b7686',
} as const;

/** Text style shared by every chart: the app's font, readable on a projector. */
export const textStyle = {
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif",
  fontSize: 12,
  color: '#5a6675',
} as const;

/** How every tooltip looks: white, with the palette's border and ink, kept inside the chart. */
export const tooltipLook = () => ({
  confine: true,
  backgroundColor: '#ffffff',
  borderColor: palette.axis,
  textStyle: { color: palette.ink, fontSize: 13 },
});

/** The card every weekly axis tooltip is drawn as: the look above, shadowed, at most `maxWidth` px wide. */
export const tooltipCard = (maxWidth: number) => ({
  trigger: 'axis' as const,
  ...tooltipLook(),
  extraCssText: `box-shadow:0 2px 8px rgba(16,24,40,.12);max-width:${maxWidth}px;white-space:normal;line-height:1.5`,
});
