/** Rule `unguarded-write`: the fixture folder's expectations. */
import { checkFixtureFolder } from '../helpers/fixtures.js';

checkFixtureFolder('unguarded-write');
