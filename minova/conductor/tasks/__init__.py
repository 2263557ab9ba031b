"""The conductor's orchestration steps, one module each, driven by
``minova.conductor.manager.ComputeTaskManager``: recording a create
(``create``) and building what was recorded (``build``)."""
