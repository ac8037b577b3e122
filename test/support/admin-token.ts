/** The admin token every test server runs with, in process or as a built process. */
export const ADMIN_TOKEN = 'test-admin-token';
