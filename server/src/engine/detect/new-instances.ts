/**
 * Methods that only ever run on an object their caller has just built (`const db = new Cache(); await db.load();`):
 * like a constructor, they run before anyone else holds the object, so its fields are not shared yet.
 */
import { Node } from 'ts-morph';
import type { ProgramModel } from '../rule.js';

/** True for a method with known callers, each calling it on a variable initialised with `new` (possibly awaited). */
export function calledOnlyOnNewInstances(model: ProgramModel, method: Node): boolean {
  if (!Node.isMethodDeclaration(method)) return false;
  const callers = model.callers(method);
  return callers.length > 0 && callers.every((call) => {
    const callee = call.getExpression();
    const receiver = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
    const declaration = receiver && Node.isIdentifier(receiver) ? receiver.getSymbol()?.getDeclarations()[0] : undefined;
    let initializer = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    while (initializer && (Node.isAwaitExpression(initializer) || Node.isParenthesizedExpression(initializer))) initializer = initializer.getExpression();
    return initializer !== undefined && Node.isNewExpression(initializer);
  });
}
