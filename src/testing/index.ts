export {
  STACK_TARGETS,
  type StackClients,
  type StackTarget,
  type StartStackOptions,
  startStack,
  type TestStack,
} from './start-stack.js';
