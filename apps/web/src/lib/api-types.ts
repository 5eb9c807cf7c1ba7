import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from '../generated/app-router'

// Named by what the app needs, derived from the router type: the generator may name its interfaces freely.
type Inputs = inferRouterInputs<AppRouter>
type Outputs = inferRouterOutputs<AppRouter>

export type Task = Outputs['task']['create']
export type TaskListOutput = Outputs['task']['list']
export type TaskUpdateInput = Inputs['task']['update']
