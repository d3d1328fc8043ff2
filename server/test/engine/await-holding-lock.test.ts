/** Rule `await-holding-lock`: the fixture folder's expectations. */
import { checkFixtureFolder } from '../helpers/fixtures.js';

checkFixtureFolder('await-holding-lock');
