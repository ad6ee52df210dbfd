"""Simple Log Service tasks (log projects, logstores, indexes, machine groups, Logtail configs)."""

from __future__ import annotations

from alicloud import sls
from alicloud.errors import ConflictError, NotFoundError
from tasks.common import cloud_task

P = "sls"
READ = "a read; safe to repeat."
LOOKUP = "a read; a missing resource gives None."
CREATE = "'already exists' counts as done; the flow reads the resource first and checks it is ours."
DELETE = "a resource that is already gone counts as done."

get_project = cloud_task(
    sls.get_project, product=P, run_name="get-project-{project}", rule=LOOKUP, done_on=(NotFoundError,)
)
create_project = cloud_task(
    sls.create_project,
    product=P,
    run_name="create-project-{project}",
    rule="'already exists' is done only after the flow checked the owner: project "
    "names are global across accounts.",
    done_on=(ConflictError,),
)
delete_project = cloud_task(
    sls.delete_project, product=P, run_name="delete-project-{project}", rule=DELETE, done_on=(NotFoundError,)
)
get_log_store = cloud_task(
    sls.get_log_store, product=P, run_name="get-logstore-{logstore}", rule=LOOKUP, done_on=(NotFoundError,)
)
create_log_store = cloud_task(
    sls.create_log_store,
    product=P,
    run_name="create-logstore-{logstore}",
    rule=CREATE,
    done_on=(ConflictError,),
)
delete_log_store = cloud_task(
    sls.delete_log_store,
    product=P,
    run_name="delete-logstore-{logstore}",
    rule=DELETE,
    done_on=(NotFoundError,),
)
get_index = cloud_task(
    sls.get_index, product=P, run_name="get-index-{logstore}", rule=LOOKUP, done_on=(NotFoundError,)
)
create_index = cloud_task(
    sls.create_index, product=P, run_name="create-index-{logstore}", rule=CREATE, done_on=(ConflictError,)
)
delete_index = cloud_task(
    sls.delete_index, product=P, run_name="delete-index-{logstore}", rule=DELETE, done_on=(NotFoundError,)
)
get_log_store_logs = cloud_task(
    sls.get_log_store_logs, product=P, run_name="query-logs-{logstore}", rule=READ
)
get_config = cloud_task(
    sls.get_config, product=P, run_name="get-config-{config_name}", rule=LOOKUP, done_on=(NotFoundError,)
)
create_config = cloud_task(
    sls.create_config,
    product=P,
    run_name="create-logtail-config-{project}",
    rule=CREATE,
    done_on=(ConflictError,),
)
delete_config = cloud_task(
    sls.delete_config,
    product=P,
    run_name="delete-config-{config_name}",
    rule=DELETE,
    done_on=(NotFoundError,),
)
get_machine_group = cloud_task(
    sls.get_machine_group,
    product=P,
    run_name="get-machine-group-{group_name}",
    rule=LOOKUP,
    done_on=(NotFoundError,),
)
create_machine_group = cloud_task(
    sls.create_machine_group,
    product=P,
    run_name="create-machine-group-{group_name}",
    rule=CREATE,
    done_on=(ConflictError,),
)
delete_machine_group = cloud_task(
    sls.delete_machine_group,
    product=P,
    run_name="delete-machine-group-{group_name}",
    rule=DELETE,
    done_on=(NotFoundError,),
)
apply_config_to_group = cloud_task(
    sls.apply_config_to_group,
    product=P,
    run_name="apply-{config_name}-to-{group_name}",
    rule="applying an applied config again changes nothing.",
)
remove_config_from_group = cloud_task(
    sls.remove_config_from_group,
    product=P,
    run_name="remove-{config_name}-from-{group_name}",
    rule=DELETE,
    done_on=(NotFoundError,),
)
get_machine_group_applied_configs = cloud_task(
    sls.get_machine_group_applied_configs, product=P, run_name="applied-configs-{group_name}", rule=READ
)
