import { createPublicPageRenderer } from './public-page-renderer.js';
import { registerRoutes } from './route-plugin.js';
import { publicPageRoutes } from './routes/public-page-routes.js';
import type { AppExtension } from './start-app.js';

/** The pages customers open from message links, `/track/<token>` and `/unsubscribe/<token>`, as a part of `npm start`. */
export const publicPagesExtension: AppExtension = async (ctx) => {
  const renderer = createPublicPageRenderer({
    timezone: ctx.config.STORE_TIMEZONE,
    storeName: ctx.config.STORE_NAME,
    supportEmail: ctx.config.SUPPORT_EMAIL,
  });
  registerRoutes(ctx.app, publicPageRoutes({ db: ctx.db, signingSecret: ctx.signingSecret, renderer, supportEmail: ctx.config.SUPPORT_EMAIL }));
  ctx.log(`public pages: GET /track/<token>, GET and POST /unsubscribe/<token> (signed links; dates in ${ctx.config.STORE_TIMEZONE})`);
};
