package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * `docker top`: the rows of the host's `ps` output that belong to the container, as dockerd
 * cuts them: titles from the header, the PID column found by name, and the last column (the
 * command) keeping its spaces.
 */
final class ProcessTable {
    private ProcessTable() {
    }

    static dev.berth.bus.contract.container.ProcessTable of(String psOutput, Set<Integer> pids) {
        String[] lines = psOutput.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw EngineException.internal("ps printed nothing", null);
        }
        List<String> titles = List.of(lines[0].trim().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw EngineException.internal("Couldn't find PID field in ps output", null);
        }
        List<List<String>> processes = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length <= pidColumn) {
                continue;
            }
            int pid;
            try {
                pid = Integer.parseInt(fields[pidColumn]);
            } catch (NumberFormatException e) {
                throw EngineException.internal("Unexpected pid '" + fields[pidColumn] + "' in ps output", e);
            }
            if (!pids.contains(pid)) {
                continue;
            }
            List<String> row = new ArrayList<>();
            if (fields.length > titles.size()) {
                row.addAll(Arrays.asList(fields).subList(0, titles.size() - 1));
                row.add(String.join(" ", Arrays.asList(fields).subList(titles.size() - 1, fields.length)));
            } else {
                row.addAll(Arrays.asList(fields));
            }
            processes.add(row);
        }
        return new dev.berth.bus.contract.container.ProcessTable(titles, processes);
    }
}
