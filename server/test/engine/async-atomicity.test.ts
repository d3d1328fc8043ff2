/** Rule `async-atomicity`: the fixture folder's expectations. */
import { checkFixtureFolder } from '../helpers/fixtures.js';

checkFixtureFolder('async-atomicity');
