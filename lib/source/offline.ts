/** How to have what an offline build (--offline) needs, for its errors. */
export const OFFLINE_HINT =
  "run `kiln fetch TEMPLATE` where the network is, then carry kiln's cache (~/.cache/kiln) across, or build without --offline";
