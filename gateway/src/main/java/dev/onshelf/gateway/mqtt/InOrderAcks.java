package dev.onshelf.gateway.mqtt;

import java.util.ArrayDeque;

/**
 * One connection's acknowledgements, in the order its messages arrived (MQTT 5 §4.6 requires it): a
 * message is acknowledged once it and every message received before it on that connection are done
 * (durable, duplicate or refused). A crash then leaves unacknowledged only a suffix of what arrived,
 * which the broker redelivers in order. (It does not make Mosquitto 2.0.11 hold the receive maximum:
 * there each PUBACK of the oldest message releases a whole window more, whatever the ack order;
 * fixed in 2.0.13, mosquitto #2306. See RELIABILITY.md.)
 *
 * <p>Messages arrive on Paho's thread and finish on the event loop; the acks are sent under the
 * lock, so two threads never send them out of order.
 */
final class InOrderAcks {
    /** Sends the acknowledgement of one message (Paho's messageArrivedComplete). */
    interface Acker {
        void ack(int messageId, int qos);
    }

    /** One received QoS 1/2 message, waiting for its turn. */
    static final class Entry {
        final int messageId;
        final int qos;
        boolean done;

        Entry(int messageId, int qos) {
            this.messageId = messageId;
            this.qos = qos;
        }
    }

    private final Acker acker;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();

    InOrderAcks(Acker acker) {
        this.acker = acker;
    }

    /** Records a message as it arrives; QoS 0 needs no ack and takes no place in the order. */
    synchronized Entry arrived(int messageId, int qos) {
        Entry e = new Entry(messageId, qos);
        if (qos > 0) {
            waiting.addLast(e);
        }
        return e;
    }

    /** The message is done: acknowledges it and the done ones after it once all before it are. */
    synchronized void done(Entry e) {
        e.done = true;
        while (!waiting.isEmpty() && waiting.peekFirst().done) {
            Entry head = waiting.pollFirst();
            acker.ack(head.messageId, head.qos);
        }
    }

    /** Received and not yet acknowledged (done or not); for tests. */
    synchronized int unacknowledged() {
        return waiting.size();
    }
}
