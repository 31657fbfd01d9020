"""dagster-dask's executor, able to run jobs with dynamic outputs (`.map()` / `.collect()`).

dagster-dask 0.29.27's `dask_executor` submits the steps of the execution plan as it stands before the run
starts. A mapped step only exists once the step upstream of it has yielded its DynamicOutputs, so that executor
runs the upstream op, never submits the mapped steps or the collecting one, and reports the run as a success
(dagster-io/dagster#9785, still open). This executor is dagster-dask's, with the same run config (`cluster:
{local: {...}}`, `cluster: {existing: {address: tcp://...}}`, yarn, ssh, pbs, ...) and the same function run on
the dask worker for each step (`dagster_dask.executor.query_on_dask_worker`); only the loop that hands out the
steps differs: like Dagster's own multiprocess executor, it asks the plan (ActiveExecution) which steps are ready
each time a step finishes, so a step mapped over a dynamic output is submitted to dask as soon as it exists.

What a dask worker needs: this repository installed in the same environment (the worker imports the job), the
same environment variables as the run (orchestration/settings.py: BUDGET_WAREHOUSE_CACHE, _INBOX, _OCR), the
files and the parse cache at the same paths, and the run's Dagster instance (DAGSTER_HOME: run and event
storage, and the IO manager's files) reachable.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import ExitStack

import dagster as dg
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.active import ActiveExecution
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._utils.error import serializable_error_info_from_exc_info
from dagster_dask import dask_executor as stock_dask_executor
from dagster_dask.executor import DaskExecutor, get_dask_resource_requirements, query_on_dask_worker

# cluster type -> (module, class) as in dagster_dask.executor.DaskExecutor.execute
CLUSTER_CLASSES = {
    "local": ("dask.distributed", "LocalCluster"),
    "ssh": ("dask.distributed", "SSHCluster"),
    "yarn": ("dask_yarn", "YarnCluster"),
    "pbs": ("dask_jobqueue", "PBSCluster"),
    "moab": ("dask_jobqueue", "MoabCluster"),
    "sge": ("dask_jobqueue", "SGECluster"),
    "lsf": ("dask_jobqueue", "LSFCluster"),
    "slurm": ("dask_jobqueue", "SLURMCluster"),
    "oar": ("dask_jobqueue", "OARCluster"),
    "kube": ("dask_kubernetes", "KubeCluster"),
}
# dagster-dask's `cluster` selector (existing / local / yarn / ...), which has no default there
STOCK_CLUSTER = stock_dask_executor.config_schema.as_field().config_type.fields["cluster"]
POLL_S = 0.5  # how often the loop looks for an interrupt while no step finishes


class MappingDaskExecutor(DaskExecutor):
    """dagster_dask.executor.DaskExecutor, handing out steps as they become ready (dynamic outputs included)."""

    def _cluster(self, stack: ExitStack, job_name: str):
        if self.cluster_type == "existing":
            return self.cluster_configuration["address"]
        module, name = CLUSTER_CLASSES[self.cluster_type]
        cls = getattr(importlib.import_module(module), name)
        return stack.enter_context(cls(**self.build_dict(job_name)))  # closed at the end of the run

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
        import dask.distributed

        if not plan_context.instance.is_persistent:
            raise dg.DagsterInvariantViolationError("Dask execution requires a persistent DagsterInstance "
                                                    "(DAGSTER_HOME), which the dask workers write to.")
        run = plan_context.dagster_run
        instance_ref = plan_context.instance.get_ref()
        with ExitStack() as stack:
            client = stack.enter_context(dask.distributed.Client(self._cluster(stack, plan_context.job_name)))
            yield DagsterEvent.engine_event(
                plan_context, f"Executing steps on the dask cluster at {client.scheduler.address}",
                EngineEventData(metadata={"dask_scheduler": client.scheduler.address}))
            active = stack.enter_context(ActiveExecution(execution_plan, retry_mode=self.retries))
            running: dict[dask.distributed.Future, str] = {}
            while not active.is_complete:
                if active.check_for_interrupts():
                    active.mark_interrupted()
                    client.cancel(list(running))
                    raise dg.DagsterExecutionInterruptedError()
                for step in active.get_steps_to_execute():
                    future = client.submit(
                        query_on_dask_worker, [], plan_context.reconstructable_job, run, plan_context.run_config,
                        [step.key], instance_ref, active.get_known_state(),
                        key=f"{run.run_id}.{step.key}", pure=False,
                        resources=get_dask_resource_requirements(step.tags),
                    )
                    running[future] = step.key
                if not running:
                    active.sleep_til_ready()
                else:
                    try:
                        done = dask.distributed.wait(list(running), timeout=POLL_S, return_when="FIRST_COMPLETED").done
                    except TimeoutError:
                        done = set()
                    for future in done:
                        key = running.pop(future)
                        yield from self._step_events(plan_context, active, key, future)
                        active.verify_complete(plan_context, key)
                yield from active.plan_events_iterator(plan_context)  # skipped and abandoned steps

    def _step_events(self, plan_context, active: ActiveExecution, key: str, future) -> Iterator[DagsterEvent]:
        try:
            events = future.result()
        except Exception:  # the step never reported (its worker died, the job could not be loaded there)
            error = serializable_error_info_from_exc_info(sys.exc_info())
            step_context = plan_context.for_step(active.get_step_by_key(key))
            yield DagsterEvent.engine_event(step_context, f"Dask task for step {key} failed",
                                            EngineEventData.engine_error(error))
            events = [self.log_failure_or_retry_event_after_error(step_context, error, active.get_known_state())]
        for event in events:
            yield event
            active.handle_event(event)


@dg.executor(
    name="dask",
    requirements=dg.multiple_process_executor_requirements(),
    config_schema={"cluster": dg.Field(
        STOCK_CLUSTER.config_type, default_value={"local": {}}, is_required=False,
        description="The dask cluster: `existing: {address: tcp://...}` (a running scheduler), `local: {...}` "
                    "(LocalCluster arguments; the default), or yarn, ssh, pbs, moab, sge, lsf, slurm, oar, kube.",
    )},
)
def dask_executor(init_context: dg.InitExecutorContext) -> MappingDaskExecutor:
    """dagster_dask.dask_executor's config, steps handed out as they become ready (see the module docstring).

    Run config: `execution: {config: {cluster: {local: {n_workers: 2}}}}` starts a dask LocalCluster for the run
    (and closes it after); `execution: {config: {cluster: {existing: {address: "tcp://scheduler:8786"}}}}` runs
    the steps on a running dask scheduler's workers.
    """
    ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
    return MappingDaskExecutor(cluster_type, cluster_configuration)
