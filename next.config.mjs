/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon; it must be required at run time, never bundled.
  serverExternalPackages: ["better-sqlite3"],
  // The kiosk display and the phone page are reached over the LAN by IP, not only by localhost.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
};

export default nextConfig;
