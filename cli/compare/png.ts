/**
 * The comparison's SVG rasterised with resvg, at a fixed width whatever the SVG's size, with
 * the system's fonts (DejaVu Sans where it is installed, as the SVG asks). resvg is a native
 * module: it loads only when `roux compare` draws, so other commands do not pay for it.
 */
export const PNG_WIDTH = 1200;

export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: PNG_WIDTH }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return resvg.render().asPng();
}
