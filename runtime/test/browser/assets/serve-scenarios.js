// What the Chromium suite's module workers share: each message names a scenario, which runs with the message and a
// reply function; the worker replies { id, ok, value } once (the scenario may reply early) or { id, ok: false, error }.

export function serveScenarios(scenarios) {
  self.onmessage = ({ data }) => {
    let replied = false;
    const reply = (value) => {
      replied = true;
      self.postMessage({ id: data.id, ok: true, value });
    };
    try {
      const value = scenarios[data.scenario](data, reply);
      if (!replied) reply(value);
    } catch (error) {
      self.postMessage({ id: data.id, ok: false, error: { name: error.name, message: error.message } });
    }
  };
}
