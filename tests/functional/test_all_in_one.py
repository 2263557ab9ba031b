"""minova-all-in-one on its embedded defaults: SQLite, fake:// bus, fake driver."""

import os
import signal
import subprocess

from minova.db.flavors import STANDIN_IMAGE_ID
from tests.functional.deployment import BIN, Api, free_port, wait_for


def test_all_in_one_boots_a_server_out_of_the_box(tmp_path):
    port = free_port()
    conf = tmp_path / "aio.conf"
    # Only where to keep state and which port: everything else is the default.
    conf.write_text(f"[DEFAULT]\nstate_path = {tmp_path}/state\n"
                    f"osapi_compute_listen_port = {port}\n")
    out = open(tmp_path / "aio.log", "w")
    proc = subprocess.Popen([os.path.join(BIN, "minova-all-in-one"), "--config-file",
                             str(conf)], stdout=out, stderr=subprocess.STDOUT,
                            env=dict(os.environ, MINOVA_CONCURRENCY="threading"))
    api = Api(port)
    try:
        def printed():
            assert proc.poll() is None, (tmp_path / "aio.log").read_text()
            return "openstack server create" in (tmp_path / "aio.log").read_text()
        wait_for(printed, 60, message="the all-in-one to print its next steps")
        text = (tmp_path / "aio.log").read_text()
        assert f"compute API at http://127.0.0.1:{port}/v2.1" in text
        # Its compute downloads images from this api, on its port (not 8774).
        assert f"the compute downloads images from: http://127.0.0.1:{port}/image" in text
        # The next steps name this api, the seeded image and the CLI's settings.
        assert f"API=http://127.0.0.1:{port}/v2.1; TOKEN='X-Auth-Token: demo:demo'" in text
        assert f'"imageRef": "{STANDIN_IMAGE_ID}"' in text
        assert f"OS_AUTH_URL=http://127.0.0.1:{port}/identity/v3" in text

        flavors = api.get("/v2.1/flavors/detail")[1]["flavors"]
        assert [(f["name"], f["vcpus"], f["ram"], f["disk"]) for f in flavors] == [
            ("m1.tiny", 1, 512, 1), ("m1.small", 1, 2048, 20), ("m1.medium", 2, 4096, 40),
            ("m1.large", 4, 8192, 80), ("m1.xlarge", 8, 16384, 160)]
        [image] = api.get("/v2.1/images")[1]["images"]

        server_id = api.as_user("demo:demo").create_server("aio", image=image["id"])
        server = api.wait_for_status(server_id)
        assert server["status"] == "ACTIVE" and server["OS-EXT-SRV-ATTR:host"]
        assert (tmp_path / "state" / "minova.sqlite").exists()
        # The CLI settings it printed work as printed (the project comes from the token).
        cli_env = dict(os.environ, OS_AUTH_TYPE="v3token", OS_TOKEN="demo:demo",
                       OS_AUTH_URL=f"http://127.0.0.1:{port}/identity/v3")
        cli_env.pop("OS_CLOUD", None)
        listed = subprocess.run([os.path.join(BIN, "openstack"), "server", "list", "-f", "value",
                                 "-c", "ID"], env=cli_env, capture_output=True, text=True,
                                timeout=60)
        assert listed.returncode == 0 and server_id in listed.stdout, listed.stderr
        # Its one host takes a resize (allow_resize_to_same_host, as devstack's).
        demo = api.as_user("demo:demo")
        assert demo.action(server_id, {"resize": {"flavorRef": "2"}})[0] == 202
        resized = demo.wait_settled(server_id, "VERIFY_RESIZE")
        assert resized["flavor"]["id"] == "2", resized
        assert demo.action(server_id, {"confirmResize": None})[0] == 204
        demo.wait_settled(server_id, "ACTIVE")
        assert api.delete(f"/v2.1/servers/{server_id}")[0] == 204
        api.wait_for_gone(server_id)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    assert code == 0, (tmp_path / "aio.log").read_text()[-3000:]
