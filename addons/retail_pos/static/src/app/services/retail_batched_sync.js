import { patch } from "@web/core/utils/patch";
import { ConnectionLostError } from "@web/core/network/rpc";
import { PosStore } from "@point_of_sale/app/services/pos_store";

/**
 * A till with several orders waiting (it was offline, or a synchronisation failed) sends them
 * in calls of up to ``retail_sync_batch_size`` orders instead of one call each: one login
 * check, one transaction and one answer per call. The server records a call whole or not at
 * all; when it refuses one, the till sends that call's orders again one by one, as Odoo does,
 * so that one order it refuses does not hold back the others.
 */
patch(PosStore.prototype, {
    retailSyncBatchSize() {
        return Math.max(parseInt(this.config.retail_sync_batch_size, 10) || 1, 1);
    },

    retailOrdersToSync(options = {}) {
        const { orderToCreate, orderToUpdate } = this.getPendingOrder();
        return [...orderToCreate, ...orderToUpdate].filter(
            (order) =>
                !this.syncingOrders.has(order.uuid) &&
                !this.syncingOrders.has(order.id) &&
                (order.isDirty() || options.force)
        );
    },

    async syncAllOrders(options = {}) {
        const size = this.retailSyncBatchSize();
        if (size <= 1 || !options || options.orders || this.data.network.offline) {
            return super.syncAllOrders(...arguments);
        }
        if (typeof options.serializeForORM === "function") {
            options = {}; // pushSingleOrder passes the order itself: no options
        }
        const orders = this.retailOrdersToSync(options);
        if (orders.length <= 1) {
            return super.syncAllOrders(...arguments);
        }
        const orderIdsToDelete = this.getOrderIdsToDelete();
        if (orderIdsToDelete.length > 0) {
            await this.deleteOrders([], orderIdsToDelete);
        }
        const synced = [];
        let newSession = false;
        for (let start = 0; start < orders.length; start += size) {
            const chunk = orders.slice(start, start + size);
            if (chunk.length > 1) {
                try {
                    const result = await this.retailSyncChunk(chunk, options);
                    synced.push(...result.orders);
                    newSession = newSession || result.newSession;
                    continue;
                } catch (error) {
                    if (error instanceof ConnectionLostError) {
                        if (options.throw) {
                            throw error;
                        }
                        break; // offline again: the rest waits for the next synchronisation
                    }
                    // The server refused the call and wrote nothing of it: one by one below.
                }
            }
            const one = await super.syncAllOrders({ ...options, orders: chunk });
            if (Array.isArray(one)) {
                synced.push(...one);
            }
        }
        if (newSession) {
            this.retailAdoptNewSession();
        }
        return synced;
    },

    /** One call for ``chunk``; resolves to the orders the server answered, throws as the call. */
    async retailSyncChunk(chunk, options) {
        const context = this.getSyncAllOrdersContext(chunk, options);
        await this.preSyncAllOrders(chunk);
        for (const order of chunk) {
            this.syncingOrders.add(order.uuid);
        }
        const dirty = chunk.filter((order) => order.isDirty());
        try {
            const serialized = chunk.map((order) => order.serializeForORM());
            const data = await this.data.call("pos.order", "sync_from_ui", [serialized], {
                context,
            });
            const missingRecords = await this.data.missingRecursive(data);
            const newData = this.models.loadConnectedData(missingRecords);
            for (const line of newData["pos.order.line"]) {
                const refundedOrderLine = line.refunded_orderline_id;
                if (refundedOrderLine && ["paid", "done"].includes(line.order_id.state)) {
                    const refunded = refundedOrderLine.order_id;
                    if (refunded) {
                        delete refunded.uiState?.lineToRefund[refundedOrderLine.uuid];
                    }
                }
            }
            await this.postSyncAllOrders(newData["pos.order"]);
            for (const order of chunk) {
                this.removePendingOrder(order);
            }
            return {
                orders: newData["pos.order"],
                newSession: (data["pos.session"] || []).length > 0,
            };
        } catch (error) {
            // Serialising marked them as sent: they were not, they go again next time.
            for (const order of dirty) {
                order._dirty = true;
            }
            throw error;
        } finally {
            for (const order of chunk) {
                this.syncingOrders.delete(order.uuid);
            }
        }
    },

    /** As Odoo does after a synchronisation that moved the orders to a rescue session. */
    retailAdoptNewSession() {
        const sessions = this.models["pos.session"].sort((a, b) => a.id - b.id);
        if (sessions.length > 1) {
            this.models["pos.session"].deleteMany(sessions.slice(0, -1));
        }
        this.models["pos.order"]
            .getAll()
            .filter((order) => order.state === "draft")
            .forEach((order) => (order.session_id = this.session));
    },
});
