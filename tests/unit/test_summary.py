"""The CLI's resource table."""

from __future__ import annotations

from flows.summary import Resource, table


def test_table_keeps_the_whole_detail_and_aligns_the_other_columns() -> None:
    target = "ep-49624enk1auaznnaocsq.epsrv-bp1paieas000000001.cn-hangzhou.privatelink.aliyuncs.com"
    rows = table(
        [
            Resource(kind="zone record", id="pai-eas", name="pai-eas.demo.eas.private", state="ENABLE",
                     detail=f"CNAME {target}"),
            Resource(kind="log project", id="eas-rg-demo", name="eas-rg-demo", state="created"),
        ]
    )
    assert rows[1].endswith(f"CNAME {target}")
    assert rows[0].index("DETAIL") == rows[1].index("CNAME")
    assert rows[2].index("created") == rows[1].index("ENABLE")
