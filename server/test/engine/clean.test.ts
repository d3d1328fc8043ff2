/** Correct programs in test-fixtures/clean: no rule may report anything on them. */
import { checkFixtureFolder } from '../helpers/fixtures.js';

checkFixtureFolder('clean');
