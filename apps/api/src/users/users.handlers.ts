import { RegisterUserHandler } from './register-user.handler';

export const usersCommandHandlers = [RegisterUserHandler];
