import { DepartmentApi } from '../../kit/api';

/**
 * The hotline department's own API (test/fixtures/hotline/openapi.yaml). Its spec's server by default; where the hub runs,
 * `API_URL_HOTLINE` says where it is. Every call: timeout, retries with backoff, circuit breaker.
 */
export const hotlineApi = new DepartmentApi('hotline', 'http://127.0.0.1:4180/api');
